using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using PictureBook.Core.Users;
using PictureBook.Core.Books;

namespace PictureBook.Core.Data;

/// <summary>
/// The platform's database: Identity's tables, the data-protection keys that sign bearer tokens (so tokens stay
/// valid across restarts and instances), and the books. Each provider has its own subclass so that
/// each keeps its own migrations (<see cref="SqliteAppDbContext"/>, <see cref="PostgresAppDbContext"/>).
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Book> Books => Set<Book>();

    public DbSet<BookPage> BookPages => Set<BookPage>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC; SQLite would otherwise hand them back with an unspecified kind.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<Book>(book =>
        {
            book.HasKey(b => b.Id);
            book.Property(b => b.OwnerId).HasMaxLength(450);
            book.Property(b => b.Title).HasMaxLength(Book.MaxTitleLength);
            book.Property(b => b.Theme).HasMaxLength(40);
            book.Property(b => b.Status).HasConversion<string>().HasMaxLength(16);
            book.Property(b => b.Error).HasMaxLength(Book.MaxErrorLength);
            book.Property(b => b.ErrorId).HasMaxLength(Book.MaxIdLength);
            book.Property(b => b.JobId).HasMaxLength(Book.MaxIdLength);
            book.Property(b => b.WaitingForProvider).HasMaxLength(16);
            book.HasIndex(b => new { b.OwnerId, b.CreatedAt });
            // The sweeper looks for unfinished books; finished ones are the vast majority.
            book.HasIndex(b => b.Status);
            book.HasOne<AppUser>().WithMany().HasForeignKey(b => b.OwnerId).OnDelete(DeleteBehavior.Cascade);
            book.HasMany(b => b.Pages).WithOne().HasForeignKey(p => p.BookId).OnDelete(DeleteBehavior.Cascade);
            book.Ignore(b => b.IsFinished);
        });

        builder.Entity<BookPage>(page =>
        {
            page.HasKey(p => new { p.BookId, p.Number });
            page.Property(p => p.IllustrationMediaType).HasMaxLength(64);
        });
    }
}
