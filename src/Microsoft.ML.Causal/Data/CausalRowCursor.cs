namespace Microsoft.ML.Causal.Data;

/// <summary>
/// Moves through a data view's rows in order, exposing each as a <see cref="CausalRow"/> whose active
/// columns hold the current row's values. One cursor serves one thread; create one per thread.
/// </summary>
public sealed class CausalRowCursor
{
    private readonly ColumnReader[] _readers;
    private readonly int[] _active;

    /// <summary>Creates a cursor over <paramref name="view"/> that fills the listed columns (all when none are given).</summary>
    public CausalRowCursor(ICausalDataView view, IEnumerable<int>? activeColumns = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        View = view;
        _active = (activeColumns ?? Enumerable.Range(0, view.Schema.Count)).Distinct().Order().ToArray();
        _readers = new ColumnReader[_active.Length];
        for (var i = 0; i < _active.Length; i++)
            _readers[i] = ColumnReader.Create(view, _active[i]);
        Current = new CausalRow(view.Schema);
    }

    /// <summary>The view being read.</summary>
    public ICausalDataView View { get; }

    /// <summary>The 0-based index of the current row; −1 before the first <see cref="MoveNext"/>.</summary>
    public int Position { get; private set; } = -1;

    /// <summary>The current row's values (only active columns are filled). The same instance is reused for every row.</summary>
    public CausalRow Current { get; }

    /// <summary>True when <paramref name="column"/> is filled by this cursor.</summary>
    public bool IsColumnActive(int column) => Array.BinarySearch(_active, column) >= 0;

    /// <summary>Advances to the next row; false at the end.</summary>
    public bool MoveNext()
    {
        if (Position + 1 >= View.RowCount)
        {
            Position = View.RowCount;
            return false;
        }
        Position++;
        for (var i = 0; i < _readers.Length; i++)
            _readers[i].CopyTo(Position, Current, _active[i]);
        return true;
    }
}
