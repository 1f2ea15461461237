import { describeRollupCrashTest } from './rollup-crash-case.js';

describeRollupCrashTest('sqlite', 'SQLite');
