using System.Globalization;

namespace Replicator.Benchmarks.Replication;

/// <summary>
/// CPU time and CPU pinning of the processes and threads under test. Time is read from
/// /proc/PID/task/TID/schedstat, whose first field is the task's run time in nanoseconds, user and
/// system together (what CLOCK_THREAD_CPUTIME_ID reports; /proc/PID/stat gives the same in clock
/// ticks of 10 ms, too coarse for runs of a second). Pinning goes through taskset, so the
/// benchmark declares no P/Invoke of its own.
/// </summary>
internal static class ProcessorTime
{
    /// <summary>Run time of one thread (0 once it is gone).</summary>
    public static long ThreadNanoseconds(int pid, int tid)
    {
        try
        {
            string text = File.ReadAllText($"/proc/{pid}/task/{tid}/schedstat");
            return long.Parse(text.AsSpan(0, text.IndexOf(' ')), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return 0; }
    }

    /// <summary>Run time of all of a process's threads (0 once it is gone).</summary>
    public static long ProcessNanoseconds(int pid)
    {
        try
        {
            long sum = 0;
            foreach (string task in Directory.GetDirectories($"/proc/{pid}/task"))
                sum += ThreadNanoseconds(pid, int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture));
            return sum;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return 0; }
    }

    /// <summary>This process's live threads whose name starts with <paramref name="prefix"/>, oldest (lowest id) first.</summary>
    public static int[] OwnThreads(string prefix)
    {
        var found = new List<int>();
        foreach (string task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(prefix, StringComparison.Ordinal))
                    found.Add(int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture));
            }
            catch (IOException) { } // the thread ended while we looked
        }
        found.Sort();
        return [.. found];
    }

    /// <summary>Pins a thread (or a single-threaded process) to one CPU.</summary>
    public static void Pin(int tid, int cpu) =>
        BenchNamespace.Run(["taskset", "-p", "-c", cpu.ToString(CultureInfo.InvariantCulture), tid.ToString(CultureInfo.InvariantCulture)], check: true);
}
