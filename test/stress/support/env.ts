/**
 * Before each stress suite loads: the service logs at DEBUG, so the customer-data check sees every line
 * it can write (the suites capture them, see log-capture.ts).
 */
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
