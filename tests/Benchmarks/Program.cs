using BenchmarkDotNet.Running;
using Replicator.Benchmarks.Codec;
using Replicator.Benchmarks.Fleet;
using Replicator.Benchmarks.Hardening;
using Replicator.Benchmarks.Replication;

// Kernel benchmarks are subcommands; anything else goes to BenchmarkDotNet's micro-benchmarks.
if (args.Length > 0 && args[0] == "replication") return ReplicationBenchmark.Run(args[1..]);
if (args.Length > 0 && args[0] == "hardening") return HardeningCommand.Run(args[1..]);
if (args.Length > 0 && args[0] == "codec") return CodecBenchmark.Run(args[1..]);
if (args.Length > 0 && args[0] == "fleet") return FleetCommand.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(System.Reflection.Assembly.GetExecutingAssembly()).Run(args);
return 0;
