import * as tf from '@tensorflow/tfjs';

/**
 * An exponential moving average of a network's variables, `avg = decay·avg + (1 - decay)·w`
 * after every update, swapped in for sampling (Yazıcı et al. 2019).
 */
export class VariableAverage {
  readonly decay: number;
  private readonly variables: tf.Variable[];
  private readonly averages: tf.Variable[];

  constructor(variables: tf.Variable[], decay: number) {
    this.decay = decay;
    this.variables = variables;
    this.averages = variables.map((v) => tf.variable(v.clone(), false));
  }

  /** The averaged values, in the order of the variables (for checkpoints). */
  get values(): tf.Variable[] {
    return this.averages;
  }

  /** Folds the variables' current values into the averages. */
  update(): void {
    tf.tidy(() => {
      this.averages.forEach((average, i) => {
        average.assign(
          tf.add(tf.mul(average, this.decay), tf.mul(this.variables[i], 1 - this.decay)),
        );
      });
    });
  }

  /** Runs `body` with the averages in place of the variables, then puts the variables back. */
  withAverages<T>(body: () => T): T {
    const saved = this.variables.map((v) => v.clone());
    try {
      this.variables.forEach((v, i) => v.assign(this.averages[i]));
      return body();
    } finally {
      this.variables.forEach((v, i) => v.assign(saved[i]));
      tf.dispose(saved);
    }
  }

  dispose(): void {
    tf.dispose(this.averages);
  }
}
