/** `cyntra-planner convert`: a torch state_dict bundle → a complete tfjs or ONNX bundle (plugins/tfjs/convert.ts, wired by main.ts). */
import { ErrorCodes, PlannerError } from '../../errors.js';
import { parseCommandArgs, requireOption } from '../args.js';
import { EXIT_OK, type Command, type ConvertTarget } from '../command.js';
import { errorLine, exitCodeFor } from '../exit-code.js';

const HELP = `Usage: cyntra-planner convert --from DIR/model.pt --to tfjs|onnx --out OUTDIR [--force]

Converts a bundle whose weights are a PyTorch state_dict (the spec MLPPolicy, saved with torch.save in the zip
format) into a bundle served by the tfjs or the onnx backend. The checkpoint is read without Python by a restricted
unpickler: it never runs code, and refuses whole-model pickles and any global other than tensors and storages.
The keys and shapes must fit config.json (d_in, d_hidden, n_layers) and the action space.

OUTDIR receives the model (model.json + .bin shard, or model.onnx), every JSON file of the source bundle
(config.json with model_type set to the target, action_space.json, calibration.json, …) and a metadata.json with
a sha256 and size per file. OUTDIR is written to a temporary directory first and renamed into place.

  --from FILE   the torch checkpoint; its directory is the source bundle
  --to T        tfjs or onnx
  --out DIR     output bundle directory; must be absent or empty
  --force       replace a non-empty OUTDIR (never the source bundle or a directory holding it: refused)

Exit codes: 0 written, 2 bad usage or an unreadable/refused checkpoint, 1 other failures.`;

const TARGETS: readonly ConvertTarget[] = ['tfjs', 'onnx'];

export const convertCommand: Command = {
  name: 'convert',
  summary: 'convert a PyTorch model.pt bundle into a tfjs or ONNX bundle',
  help: HELP,
  async run(argv, io, deps) {
    try {
      const { values } = parseCommandArgs('convert', argv, {
        from: { type: 'string' },
        to: { type: 'string' },
        out: { type: 'string' },
        force: { type: 'boolean' },
      });
      if (values.help) return (io.stdout(`${HELP}\n`), EXIT_OK);
      const from = requireOption('convert', values.from, '--from');
      const to = requireOption('convert', values.to, '--to');
      const out = requireOption('convert', values.out, '--out');
      if (!TARGETS.includes(to as ConvertTarget))
        throw new PlannerError(ErrorCodes.USAGE, `convert: --to must be tfjs or onnx, got "${to}"`);
      const result = await deps.convertBundle({ from, to: to as ConvertTarget, out, force: values.force === true });
      io.stdout(`wrote ${result.out} (${Object.keys(result.files).length} files + metadata.json)\n`);
      return EXIT_OK;
    } catch (error) {
      io.stderr(`${errorLine(error)}\n`);
      return exitCodeFor(error);
    }
  },
};
