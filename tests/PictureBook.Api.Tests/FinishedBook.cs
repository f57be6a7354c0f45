using System.Text.Json;

namespace PictureBook.Api.Tests;

/// <summary>What a book that lived through a failure (a killed process, a database outage) must look like at its end.</summary>
internal static class FinishedBook
{
    /// <summary>
    /// <paramref name="book"/> (as <c>GET /api/books/{id}</c> returns it) is ready with pages 1 to
    /// <paramref name="pageCount"/>, and the pages stored before the failure are as they were.
    /// </summary>
    public static void ShouldBeReadyKeeping(JsonElement book, int pageCount, IReadOnlyDictionary<int, string> stored, string? whenNot = null)
    {
        book.GetProperty("status").GetString().ShouldBe("ready", whenNot);
        var pages = book.GetProperty("pages").EnumerateArray().ToList();
        pages.Select(p => p.GetProperty("number").GetInt32()).ShouldBe(Enumerable.Range(1, pageCount));
        foreach (var (number, text) in stored)
        {
            pages[number - 1].GetProperty("text").GetString().ShouldBe(text, $"page {number} was rewritten");
        }
    }
}
