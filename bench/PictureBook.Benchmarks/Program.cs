using BenchmarkDotNet.Running;

// Every benchmark class in this assembly; pick with --filter, shorten with --job short.
BenchmarkSwitcher.FromAssembly(typeof(PictureBook.Benchmarks.SignedInReadBenchmarks).Assembly).Run(args);
