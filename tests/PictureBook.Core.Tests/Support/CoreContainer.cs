using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PictureBook.Core.Books;
using PictureBook.Core.Data;
using PictureBook.Core.Users;
using PictureBook.Observability;

namespace PictureBook.Core.Tests.Support;

/// <summary>
/// A container of the real features over SQLite files in a temporary directory, migrated as a host migrates at
/// start-up. The host is never started: a test runs the piece it exercises itself, on a clock of its own, so no
/// background service acts behind its back. Shared by the tests of a class; each test makes its own books.
/// </summary>
public class CoreContainer : IAsyncLifetime
{
    /// <summary>The user every test book belongs to (books refer to their owner).</summary>
    public const string OwnerId = "owner-of-the-test-books";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("picturebook-core-");
    private WebApplication? _app;

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>
    /// A host builder with observability, over SQLite files in <paramref name="directory"/>, whose container checks
    /// when built that every registration's dependencies resolve and no singleton holds a scoped service.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(DirectoryInfo directory, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ContentRootPath = directory.FullName,
        });
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = $"Data Source={Path.Combine(directory.FullName, "picturebook.db")}",
            ["ConnectionStrings:Jobs"] = Path.Combine(directory.FullName, "jobs.db"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Host.UseDefaultServiceProvider(provider =>
        {
            provider.ValidateOnBuild = true;
            provider.ValidateScopes = true;
        });
        builder.AddObservability(releaseName: "tests");
        return builder;
    }

    public async ValueTask InitializeAsync()
    {
        var builder = CreateBuilder(_directory, Settings);
        Compose(builder);
        _app = builder.Build();
        await _app.MigrateDatabaseAsync();

        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Users.Add(new AppUser { Id = OwnerId, UserName = OwnerId });
        await db.SaveChangesAsync();
    }

    /// <summary>Saves a new book of <see cref="OwnerId"/>, shaped by <paramref name="shape"/>; returns its id.</summary>
    public async Task<Guid> AddBookAsync(BookStatus status, DateTime createdAt, Action<Book>? shape = null)
    {
        var book = new Book
        {
            Id = Guid.NewGuid(),
            OwnerId = OwnerId,
            Title = "The fox who counted stars",
            Theme = "space",
            PageCount = 2,
            Status = status,
            CreatedAt = createdAt,
        };
        shape?.Invoke(book);
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Books.Add(book);
        await db.SaveChangesAsync();
        return book.Id;
    }

    /// <summary>The book as stored now, with its pages; null when it is gone.</summary>
    public async Task<Book?> ReadBookAsync(Guid id)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Books
            .AsNoTracking().Include(b => b.Pages).FirstOrDefaultAsync(b => b.Id == id);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        // Pooled SQLite connections keep the files open.
        SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Settings on top of the temporary databases'.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>The features under test; the database by default.</summary>
    protected virtual void Compose(WebApplicationBuilder builder) => builder.AddDatabase();
}
