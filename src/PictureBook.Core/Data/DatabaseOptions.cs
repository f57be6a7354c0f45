namespace PictureBook.Core.Data;

/// <summary>Settings of the <c>Database</c> section; the connection string is <c>ConnectionStrings:Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations at start-up. Turn off where a deployment step migrates instead.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}

/// <summary>The database engines the platform runs on.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
