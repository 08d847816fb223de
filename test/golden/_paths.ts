// Where the shared corpus lives relative to the compiled tests (dist/test/golden -> ../shared).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const SHARED = resolve(here, '../../../../shared');
export const SCENARIOS = resolve(SHARED, 'scenarios');
