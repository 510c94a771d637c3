/**
 * Per test file, before any module loads: EMF metrics stay off (they are CloudWatch's business and would
 * flood the output); the test that checks them turns them on for itself.
 */
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
