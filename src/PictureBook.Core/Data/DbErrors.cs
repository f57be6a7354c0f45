using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace PictureBook.Core.Data;

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
    /// The database could not be reached, was busy, or is going down or restarting (its sessions were ended by a
    /// shutdown, a crash, or a failover): the same statement may succeed if tried again. The providers may wrap
    /// the exception that says so.
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        for (var current = (Exception?)exception; current is not null; current = current.InnerException)
        {
            if (current is System.Data.Common.DbException { IsTransient: true }
                or PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow })
            {
                return true;
            }
        }

        return false;
    }
}
