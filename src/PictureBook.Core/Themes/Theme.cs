namespace PictureBook.Core.Themes;

/// <summary>A story theme a book can be made from.</summary>
/// <param name="Id">The value clients send as <c>theme</c>.</param>
/// <param name="Name">A display name.</param>
/// <param name="Description">One line about the stories it makes.</param>
/// <param name="DefaultTitle">The title of a book created without one.</param>
/// <param name="Hero">Who the story is about.</param>
/// <param name="Place">Where it happens.</param>
/// <param name="Palette">Sky, ground and accent colours of its illustrations.</param>
public sealed record Theme(
    string Id,
    string Name,
    string Description,
    string DefaultTitle,
    string Hero,
    string Place,
    IReadOnlyList<string> Palette);
