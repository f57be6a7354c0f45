namespace PictureBook.Monitoring.Tests;

/// <summary>
/// Just enough PromQL lexing for the dashboard rules: the vector selectors of an expression (metric name and
/// matchers) and its range windows. Strings, function calls, grouping clauses and keywords are skipped.
/// </summary>
internal static class PromqlText
{
    private static readonly HashSet<string> GroupingClauses = ["by", "without", "on", "ignoring", "group_left", "group_right"];
    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "bool", "offset", "inf", "nan"];

    /// <summary>Aggregation operators, which may put their grouping clause first: <c>sum by (le) (...)</c>.</summary>
    private static readonly HashSet<string> Aggregations =
        ["sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile"];

    /// <summary>Every vector selector: <c>(metric, matchers between the braces)</c>; the metric is "" for <c>{...}</c> alone.</summary>
    public static IReadOnlyList<(string Metric, string Matchers)> Selectors(string expr)
    {
        var selectors = new List<(string, string)>();
        var i = 0;
        while (i < expr.Length)
        {
            var c = expr[i];
            if (c is '"' or '\'' or '`')
            {
                i = AfterString(expr, i);
            }
            else if (c == '[')
            {
                i = expr.IndexOf(']', i) + 1;
            }
            else if (c == '{')
            {
                var end = ClosingBrace(expr, i);
                selectors.Add(("", expr[(i + 1)..end]));
                i = end + 1;
            }
            else if (char.IsDigit(c) || c == '.')
            {
                while (i < expr.Length && (char.IsLetterOrDigit(expr[i]) || expr[i] == '.'))
                {
                    i++;
                }
            }
            else if (char.IsLetter(c) || c is '_' or ':')
            {
                var start = i;
                while (i < expr.Length && (char.IsLetterOrDigit(expr[i]) || expr[i] is '_' or ':'))
                {
                    i++;
                }

                var word = expr[start..i];
                var next = i;
                while (next < expr.Length && char.IsWhiteSpace(expr[next]))
                {
                    next++;
                }

                var follower = next < expr.Length ? expr[next] : '\0';
                if (GroupingClauses.Contains(word))
                {
                    i = follower == '(' ? expr.IndexOf(')', next) + 1 : i; // the label list is no selector
                }
                else if (Keywords.Contains(word) || Aggregations.Contains(word) || follower == '(')
                {
                    // an operator keyword, an aggregation or a function call: its arguments are read on
                }
                else if (follower == '{')
                {
                    var end = ClosingBrace(expr, next);
                    selectors.Add((word, expr[(next + 1)..end]));
                    i = end + 1;
                }
                else
                {
                    selectors.Add((word, ""));
                }
            }
            else
            {
                i++;
            }
        }

        return selectors;
    }

    /// <summary>The text between the brackets of every range selector and subquery (<c>[5m]</c> gives "5m").</summary>
    public static IReadOnlyList<string> RangeWindows(string expr)
    {
        var windows = new List<string>();
        var i = 0;
        while (i < expr.Length)
        {
            var c = expr[i];
            if (c is '"' or '\'' or '`')
            {
                i = AfterString(expr, i);
            }
            else if (c == '{')
            {
                i = ClosingBrace(expr, i) + 1;
            }
            else if (c == '[')
            {
                var end = expr.IndexOf(']', i);
                windows.Add(expr[(i + 1)..end]);
                i = end + 1;
            }
            else
            {
                i++;
            }
        }

        return windows;
    }

    private static int AfterString(string expr, int open)
    {
        var quote = expr[open];
        var i = open + 1;
        while (i < expr.Length && expr[i] != quote)
        {
            i += expr[i] == '\\' && quote != '`' ? 2 : 1;
        }

        return i + 1;
    }

    private static int ClosingBrace(string expr, int open)
    {
        var i = open + 1;
        while (i < expr.Length && expr[i] != '}')
        {
            i = expr[i] is '"' or '\'' or '`' ? AfterString(expr, i) : i + 1;
        }

        return i;
    }
}
