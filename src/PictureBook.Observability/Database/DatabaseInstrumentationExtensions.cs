using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PictureBook.Observability.Metrics;

namespace PictureBook.Observability.Database;

/// <summary>The EF Core instrumentation: database metrics and a Sentry span for each command of a traced request.</summary>
public static class DatabaseInstrumentationExtensions
{
    /// <summary>
    /// Registers <see cref="DatabaseMetrics"/> and the interceptors that feed it and the traces
    /// (<see cref="DbConnectionMetricsInterceptor"/>, <see cref="DbCommandMetricsInterceptor"/>,
    /// <see cref="DbCommandTracingInterceptor"/>), for the context's options to add. <paramref name="databaseSystem"/> is
    /// the name Sentry's query insights expect in <c>db.system</c> (<c>sqlite</c>, <c>postgresql</c>);
    /// <paramref name="poolLimit"/> the most connections the pool may open, published as <c>db_connections_max</c>
    /// (null where the pool has no limit).
    /// </summary>
    public static IServiceCollection AddDatabaseInstrumentation(this IServiceCollection services, string databaseSystem, int? poolLimit)
    {
        services.AddMetricSet<DatabaseMetrics>();
        services.TryAddSingleton<DbCommandMetricsInterceptor>();
        services.TryAddSingleton(sp => new DbConnectionMetricsInterceptor(sp.GetRequiredService<DatabaseMetrics>(), poolLimit));
        services.TryAddSingleton(sp => new DbCommandTracingInterceptor(sp.GetRequiredService<IHub>(), databaseSystem));
        return services;
    }
}
