namespace PictureBook.Core.Themes;

/// <summary>The fixed set of themes; a book's theme must be one of these ids.</summary>
public static class ThemeCatalog
{
    public static readonly IReadOnlyList<Theme> All =
    [
        new("forest-friends", "Forest friends", "A fox and her friends help each other in the woods.",
            "The Fox Who Shared", "a curious little fox named Fern", "the whispering forest", ["#cdeccd", "#4f7d3a", "#e07a2e"]),
        new("space-adventure", "Space adventure", "A young astronaut visits planets and makes friends.",
            "Stars for Milo", "a brave young astronaut named Milo", "a sky full of friendly planets", ["#1b1f4b", "#6b5ca5", "#f6d55c"]),
        new("under-the-sea", "Under the sea", "A small turtle explores the coral reef.",
            "Tilly and the Reef", "a small sea turtle named Tilly", "the bright coral reef", ["#7fd3e8", "#1d6f8c", "#ff8c69"]),
        new("dinosaur-valley", "Dinosaur valley", "A gentle dinosaur learns that small friends matter.",
            "Dot the Kind Dinosaur", "a gentle dinosaur named Dot", "a green valley of ferns and volcanoes", ["#f4e9c1", "#7a9a3b", "#c8553d"]),
        new("bedtime", "Bedtime", "A sleepy owl says goodnight to everything.",
            "Goodnight, Little Owl", "a sleepy little owl named Ollie", "a quiet moonlit town", ["#22305a", "#3e4a7a", "#f9e79f"]),
    ];

    private static readonly Dictionary<string, Theme> ById = All.ToDictionary(t => t.Id, StringComparer.Ordinal);

    public static Theme? Find(string? id) => id is not null && ById.TryGetValue(id, out var theme) ? theme : null;
}
