using Microsoft.Data.Sqlite;
using Npgsql;

namespace PictureBook.Testing;

/// <summary>
/// Reads a book's pages straight from the platform's database, as they are stored at this moment: what a
/// killed process had written, seen while no process runs.
/// </summary>
public static class StoredPages
{
    /// <summary>Page number → text, from the SQLite database of an app on its default files.</summary>
    public static async Task<Dictionary<int, string>> ReadSqliteAsync(AppProcess app, Guid bookId)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(app.WorkDirectory, "picturebook.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // EF Core stores a Guid in SQLite as upper-case text.
        command.CommandText = """SELECT "Number", "Text" FROM "BookPages" WHERE "BookId" = $id""";
        command.Parameters.AddWithValue("$id", bookId.ToString().ToUpperInvariant());
        return await ReadAsync(command);
    }

    /// <summary>Page number → text, from a PostgreSQL database.</summary>
    public static async Task<Dictionary<int, string>> ReadPostgresAsync(string connectionString, Guid bookId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "Number", "Text" FROM "BookPages" WHERE "BookId" = @id""", connection);
        command.Parameters.AddWithValue("id", bookId);
        return await ReadAsync(command);
    }

    private static async Task<Dictionary<int, string>> ReadAsync(System.Data.Common.DbCommand command)
    {
        var pages = new Dictionary<int, string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pages[reader.GetInt32(0)] = reader.GetString(1);
        }

        return pages;
    }
}
