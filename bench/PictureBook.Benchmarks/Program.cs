using BenchmarkDotNet.Running;

// Every benchmark class in this assembly; pick with --filter, shorten with --job short. (Named through one of its
// classes: "Program" is ambiguous here, the API's own Program comes with the reference to it.)
BenchmarkSwitcher.FromAssembly(typeof(PictureBook.Benchmarks.SignedInReadBenchmarks).Assembly).Run(args);
