namespace PictureBook.DashboardRender;

/// <summary>A panel's place on Grafana's grid: 24 columns wide, rows of one grid unit each.</summary>
public readonly record struct GridPos(int X, int Y, int W, int H)
{
    public int Bottom => Y + H;
}
