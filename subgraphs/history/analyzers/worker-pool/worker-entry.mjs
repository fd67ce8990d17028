// Worker threads start as plain Node: load the TypeScript task module through tsx, which runs the
// project (`npm start`) and is present wherever the sources are.
import { register } from 'tsx/esm/api';

register();
const { runAnalysisTask } = await import('./tasks.ts');

export default runAnalysisTask;
