using Microsoft.EntityFrameworkCore;

namespace PictureBook.Core.Data;

/// <summary>The database on SQLite (the default): <c>Database:Provider=Sqlite</c>.</summary>
public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options);
