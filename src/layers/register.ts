import * as tf from '@tensorflow/tfjs';

/**
 * The one place where this library's layers are registered for serialisation, so that
 * `tf.loadLayersModel` can rebuild a saved model that contains them.
 *
 * Registration is a global side effect on TensorFlow.js's class registry. Each layer module
 * calls {@link registerLayer} once at load, right after its class, so importing a layer is
 * enough to load models that contain it.
 *
 * @module
 */

/** A layer class as `tf.serialization.registerClass` accepts it. */
type LayerClass = tf.serialization.SerializableConstructor<tf.layers.Layer> & {
  className: string;
};

const registered: string[] = [];

/** Registers `cls` under its `className` (idempotent per class name). */
export function registerLayer(cls: LayerClass): void {
  if (registered.includes(cls.className)) return;
  tf.serialization.registerClass(cls);
  registered.push(cls.className);
}

/** Class names this library has registered so far, in registration order. */
export function registeredLayerNames(): string[] {
  return [...registered];
}
