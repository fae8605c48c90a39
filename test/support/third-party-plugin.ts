/** Stands in for a third-party package exporting a backend plugin as its default export. */
import { prefer, scriptedPlugin } from './scripted-plugin.js';

export default scriptedPlugin({
  name: 'third-party',
  script: () => prefer({ swarm: 0, candidates: 0, minutes: 1, iterations: 4 }),
});
