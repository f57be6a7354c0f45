using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace PictureBook.Api.Data;

/// <summary>Recognises database errors by meaning, whichever provider raised them.</summary>
public static class DbErrors
{
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    /// <summary>The row's key is taken: the row was already written.</summary>
    public static bool IsDuplicateKey(DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is SqliteConstraintPrimaryKey or SqliteConstraintUnique,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>
    /// The database could not be reached or was busy (Npgsql and SQLite say so on their exceptions, which the
    /// providers may wrap): the same statement may succeed if tried again.
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        for (var current = (Exception?)exception; current is not null; current = current.InnerException)
        {
            if (current is System.Data.Common.DbException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }
}
