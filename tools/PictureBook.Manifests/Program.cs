using PictureBook.Manifests;

// dotnet run --project tools/PictureBook.Manifests -- prometheus-rule        writes deploy/k8s/prometheus-rule.yaml and
//                                                                            prometheus-rules-configmap.yaml
// dotnet run --project tools/PictureBook.Manifests -- alertmanager-config    writes deploy/k8s/alertmanager-config.yaml
// dotnet run --project tools/PictureBook.Manifests -- grafana-dashboards     prints the dashboard ConfigMaps
try
{
    var root = RepositoryRoot.Find(Environment.CurrentDirectory);
    switch (args)
    {
        case ["prometheus-rule"]:
            var path = Path.Combine(root, PrometheusRuleGenerator.OutputPath);
            await File.WriteAllTextAsync(path, PrometheusRuleGenerator.Generate(root));
            await File.WriteAllTextAsync(Path.Combine(root, PrometheusRuleGenerator.ConfigMapOutputPath), PrometheusRuleGenerator.GenerateConfigMap(root));
            Console.Error.WriteLine($"wrote {PrometheusRuleGenerator.OutputPath} and {PrometheusRuleGenerator.ConfigMapOutputPath}");
            return 0;
        case ["alertmanager-config"]:
            await File.WriteAllTextAsync(Path.Combine(root, AlertmanagerSecretGenerator.OutputPath), AlertmanagerSecretGenerator.Generate(root));
            Console.Error.WriteLine($"wrote {AlertmanagerSecretGenerator.OutputPath}");
            return 0;
        case ["grafana-dashboards"]:
            Console.Out.Write(DashboardConfigMapGenerator.Generate(Path.Combine(root, DashboardConfigMapGenerator.DashboardsDirectory)));
            return 0;
        default:
            Console.Error.WriteLine("usage: PictureBook.Manifests prometheus-rule | alertmanager-config | grafana-dashboards");
            return 2;
    }
}
catch (Exception ex) when (ex is IOException or InvalidDataException or InvalidOperationException)
{
    // A missing directory or a rule file of an unexpected shape: say which, without a stack trace.
    Console.Error.WriteLine($"PictureBook.Manifests: {ex.Message}");
    return 1;
}
