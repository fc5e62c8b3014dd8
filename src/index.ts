/**
 * tfjs-gan: building blocks for generative adversarial networks on TensorFlow.js.
 *
 * This entry point runs wherever TensorFlow.js runs (browser, Node, worker); it uses no Node
 * built-ins. File-system helpers live in `tfjs-gan/node`.
 *
 * @module tfjs-gan
 */
export { RandomStream } from './random';
export { NonFiniteLossError, FormatError } from './errors';
