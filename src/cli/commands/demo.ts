import { parse } from '../args.js';
import { EXIT } from '../../util/errors.js';
import { runTour } from '../../demo/tour.js';
import { inertLines } from '../../util/text.js';

export function demoCommand(argv: string[]): number {
  const { positionals } = parse('demo', argv);
  return runTour(positionals[0], (s) => console.log(inertLines(s))) ? EXIT.ok : EXIT.refused;
}
