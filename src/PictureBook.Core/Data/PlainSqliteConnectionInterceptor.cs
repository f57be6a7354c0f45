using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PictureBook.Core.Data;

/// <summary>
/// Gives EF Core a plain <see cref="SqliteConnection"/> instead of the one its SQLite provider makes, which registers
/// thirteen SQL functions (<c>regexp</c> and decimal arithmetic: <c>ef_add</c>, <c>ef_compare</c>, <c>ef_sum</c>, …) and a
/// collation on the connection. Microsoft.Data.Sqlite applies every registration again on each <c>Open</c> and removes
/// it on each <c>Close</c>, because the native connection under it is pooled: 26 native calls per query, about a
/// tenth of a signed-in <c>GET /api/books</c> (bench/README.md, "The read path"). The model has no decimal column and
/// no query uses a regular expression, so nothing needs them; a query that did would fail at once with SQLite's
/// "no such function: ef_…", not return a wrong answer.
/// </summary>
public sealed class PlainSqliteConnectionInterceptor : DbConnectionInterceptor
{
    public override InterceptionResult<DbConnection> ConnectionCreating(ConnectionCreatingEventData eventData, InterceptionResult<DbConnection> result) =>
        result.HasResult ? result : InterceptionResult<DbConnection>.SuppressWithResult(new SqliteConnection(eventData.ConnectionString));
}
