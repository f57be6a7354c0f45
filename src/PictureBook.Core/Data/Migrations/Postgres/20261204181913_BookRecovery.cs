using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PictureBook.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BookRecovery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ErrorId",
                table: "Books",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "JobId",
                table: "Books",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WaitingForProvider",
                table: "Books",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "WaitingSince",
                table: "Books",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Books_Status",
                table: "Books",
                column: "Status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Books_Status",
                table: "Books");

            migrationBuilder.DropColumn(
                name: "ErrorId",
                table: "Books");

            migrationBuilder.DropColumn(
                name: "JobId",
                table: "Books");

            migrationBuilder.DropColumn(
                name: "WaitingForProvider",
                table: "Books");

            migrationBuilder.DropColumn(
                name: "WaitingSince",
                table: "Books");
        }
    }
}
