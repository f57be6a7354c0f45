namespace PictureBook.Observability.Database;

/// <summary>Leaves out of <c>db_errors_total</c> the failures EF Core provokes on purpose while it migrates.</summary>
public static class DbErrorCounting
{
    private static readonly AsyncLocal<bool> Migrating = new();

    /// <summary>Counts one failure in <c>db_errors_total</c>, unless it happened inside <see cref="MigrateAsync"/>.</summary>
    public static void Count(DatabaseMetrics metrics)
    {
        if (!Migrating.Value)
        {
            metrics.Errors.Inc();
        }
    }

    /// <summary>
    /// Runs <paramref name="migrate"/> without counting failures: EF Core finds out whether the database and its
    /// history table exist by trying to use them, which fails on every first start and is not an error.
    /// </summary>
    public static async Task MigrateAsync(Func<Task> migrate)
    {
        Migrating.Value = true;
        try
        {
            await migrate();
        }
        finally
        {
            Migrating.Value = false;
        }
    }
}
