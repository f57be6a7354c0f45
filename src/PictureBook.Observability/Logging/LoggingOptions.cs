namespace PictureBook.Observability.Logging;

/// <summary>Settings of the <c>Logging</c> section besides the standard <c>LogLevel</c> levels.</summary>
public sealed class LoggingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Logging";

    /// <summary><c>json</c> (compact JSON, one object per line) or <c>text</c>; default json, text in Development.</summary>
    public string? Format { get; set; }

    /// <summary>Log export over OTLP/HTTP (<c>Logging:Otlp:*</c>).</summary>
    public OtlpExportOptions Otlp { get; set; } = new();
}

/// <summary>Where logs are exported over OTLP/HTTP, besides stdout.</summary>
public sealed class OtlpExportOptions
{
    /// <summary>The logs endpoint (e.g. Loki 3's <c>http://loki:3100/otlp/v1/logs</c>); empty: no export.</summary>
    public string? Endpoint { get; set; }
}
