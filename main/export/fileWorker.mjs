// Worker-thread entry for `--jobs`: loads the TypeScript worker through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./fileWorker.ts');
