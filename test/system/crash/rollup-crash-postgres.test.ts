import { describeWithPostgres } from '../../postgres-helpers.js';
import { describeRollupCrashTest } from './rollup-crash-case.js';

await describeWithPostgres('the rollup crash test', () => describeRollupCrashTest('postgres', 'PostgreSQL'));
