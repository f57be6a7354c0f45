using Microsoft.EntityFrameworkCore;

namespace PictureBook.Core.Data;

/// <summary>The database on PostgreSQL: <c>Database:Provider=Postgres</c>.</summary>
public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options);
