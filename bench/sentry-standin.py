"""A Sentry stand-in for the benchmarks: accepts every envelope and answers {}.

The SDK then does all of its work (events and sampled transactions built, serialised, cached and sent) without a real
Sentry. Usage: python3 bench/sentry-standin.py PORT [COUNT_FILE]; with COUNT_FILE it writes the number of envelopes
received there, rewritten after each one.
"""
import http.server
import sys

received = 0


class Accept(http.server.BaseHTTPRequestHandler):
    # Like Sentry's ingestion: connections are kept alive (HTTP/1.0 made the SDK open and close one per envelope),
    # and the answer is not held back by Nagle's algorithm waiting for the client's delayed ACK.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_POST(self):
        global received
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")
        received += 1
        if len(sys.argv) > 2:
            with open(sys.argv[2], "w") as count:
                count.write(f"{received}\n")

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Accept).serve_forever()
