import { describeWithPostgres } from '../../postgres-helpers.js';
import { describeCrashTest } from './crash-test-case.js';

await describeWithPostgres('the crash test', () => describeCrashTest('postgres', 'PostgreSQL'));
