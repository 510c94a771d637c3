/**
 * The custom metrics the handlers' EMF output defines, as CloudWatch bills them: each distinct namespace,
 * metric name and set of dimension values is one metric, billed per month however often it is written.
 */
export class EmfCollector {
  private readonly metrics = new Map<
    string,
    { namespace: string; name: string; dimensions: Record<string, string> }
  >();

  /** One log line; anything that is not an EMF blob is ignored. */
  add(line: string): void {
    if (!line.includes('"_aws"')) return;
    let blob: {
      _aws?: {
        CloudWatchMetrics?: Array<{
          Namespace: string;
          Dimensions: string[][];
          Metrics: Array<{ Name: string }>;
        }>;
      };
    } & Record<string, unknown>;
    try {
      blob = JSON.parse(line);
    } catch {
      return;
    }
    for (const directive of blob._aws?.CloudWatchMetrics ?? []) {
      for (const dimensionSet of directive.Dimensions.length > 0 ? directive.Dimensions : [[]]) {
        const dimensions = Object.fromEntries(dimensionSet.map((name) => [name, String(blob[name])]));
        for (const metric of directive.Metrics) {
          const key = JSON.stringify([directive.Namespace, metric.Name, Object.entries(dimensions).sort()]);
          if (!this.metrics.has(key))
            this.metrics.set(key, { namespace: directive.Namespace, name: metric.Name, dimensions });
        }
      }
    }
  }

  /** The distinct metrics seen so far. */
  distinct(): ReadonlyArray<{
    readonly namespace: string;
    readonly name: string;
    readonly dimensions: Readonly<Record<string, string>>;
  }> {
    return [...this.metrics.values()];
  }
}
