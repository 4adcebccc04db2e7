using BenchmarkDotNet.Running;

// Micro-benchmarks run through BenchmarkDotNet; kernel benchmarks are subcommands.
BenchmarkSwitcher.FromAssembly(System.Reflection.Assembly.GetExecutingAssembly()).Run(args);
