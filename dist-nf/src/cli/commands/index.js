/**
 * The command table: one entry per `chainrule` command, in the order `--help` lists them.
 *
 * @example
 * commands.map((c) => c.name)  // ['eval', 'grad', 'jacobian', 'hvp', 'hessian', 'cost', 'graph', 'trace']
 */
import { costCommand } from './cost.js';
import { evalCommand } from './eval.js';
import { graphCommand } from './graph.js';
import { traceCommand } from './trace.js';
import { gradCommand } from './grad.js';
import { hessianCommand } from './hessian.js';
import { hvpCommand } from './hvp.js';
import { jacobianCommand } from './jacobian.js';
export const commands = [evalCommand, gradCommand, jacobianCommand, hvpCommand, hessianCommand, costCommand, graphCommand, traceCommand];
