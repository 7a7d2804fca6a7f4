// Worker-thread entry outside the bundle (tests, `npx tsx`): loads the TypeScript worker through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./scanWorker.ts');
