export { runDemo } from './run-demo.js';
export type { DemoResult, DemoServer, RunDemoOptions } from './run-demo.js';
export { demoExperimentName, runTrainingSweep, sweepConfigs } from './training-sweep.js';
export type { SweepResult } from './training-sweep.js';
