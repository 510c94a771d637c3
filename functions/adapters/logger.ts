/**
 * The service's structured logger (Powertools): JSON lines for CloudWatch with the correlation ids of the
 * work at hand. Customer names and emails are never given to it.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'buygoods-postbacks' });
