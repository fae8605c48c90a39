/** `cyntra-planner encode`: the exact tensors a bundle's model is fed for one planner input. */
import { encodeForCli } from '../../encoders/select-encoder.js';
import { parseCommandArgs, requireOption } from '../args.js';
import { EXIT_OK, type Command } from '../command.js';
import { modelLoadFailure, setUpPlanner } from '../planner-setup.js';
import { PLUGIN_ARGS, loadCliPlugins, pluginHelp } from '../plugin-options.js';
import { readPlannerInput } from './predict.js';

const HELP = `Usage: cyntra-planner encode --bundle DIR --input planner_input.json [--type T] [--plugin SPEC]... [--config FILE]

Prints what the bundle's model is fed for one cyntra.planner_input.v1, as JSON on stdout:
  {"kind":"features","features":[…]}                                   (features.v1, docs/features-v1.md)
  {"kind":"tokens","tokens":[…],"input_ids":[…],"attention_mask":[…]}  (tokens.v1, the Python planner's)
The encoder is the one the bundle declares: config.json "encoder", else vocab.json ⇒ tokens.v1, else features.v1.
The model is loaded (so seq_len and d_in are checked against the graph); if it cannot load, exit 1.

  --bundle DIR      model bundle directory (default: the config's planner.model.path)
  --input FILE      a cyntra.planner_input.v1 JSON file
  --type T          backend name or alias (default: the config's planner.model.type, else auto)
${pluginHelp('and takes its planner.model path and type as defaults')}`;

export const encodeCommand: Command = {
  name: 'encode',
  summary: 'print the feature vector or token ids a bundle feeds its model',
  help: HELP,
  async run(argv, io, deps) {
    const { values } = parseCommandArgs('encode', argv, {
      bundle: { type: 'string' },
      input: { type: 'string' },
      type: { type: 'string' },
      ...PLUGIN_ARGS,
    });
    if (values.help) return (io.stdout(`${HELP}\n`), EXIT_OK);
    const input = readPlannerInput(requireOption('encode', values.input, '--input'));
    const config = await loadCliPlugins(values, io, deps.registry);
    const bundle = requireOption('encode', values.bundle ?? config?.planner.modelPath ?? undefined, '--bundle');
    const { planner } = await setUpPlanner({ bundle, type: values.type, config }, io, deps);
    try {
      if (planner.modelUnavailable) throw modelLoadFailure(bundle, planner.attempts);
      io.stdout(`${JSON.stringify(encodeForCli(planner.encoder, input))}\n`);
      return EXIT_OK;
    } finally {
      await planner.dispose();
    }
  },
};
