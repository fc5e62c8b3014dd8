import type { TrainingWarning } from '../hacks/diagnostics';
import type { StepResult } from './types';

/**
 * One network update inside a step, as {@link Trainer.on} reports it.
 *
 * @category Training
 */
export interface UpdateEvent {
  /** Which network was updated. */
  network: 'generator' | 'discriminator';
  /** 0-based index of the step the update belongs to. */
  step: number;
  /** 0-based index of the update within its step (up to `discriminatorSteps - 1`). */
  index: number;
  /** The network's adversarial loss before the update. */
  loss: number;
}

/**
 * The events of a {@link Trainer} and what each handler receives.
 *
 * @category Training
 */
export interface TrainerEvents {
  /** After every discriminator or generator update. */
  update: UpdateEvent;
  /** After every step, with its numbers. */
  stepEnd: StepResult;
  /**
   * For every warning of a step: the detectors', and at the first step the
   * {@link Trainer.configurationWarnings}.
   */
  warning: TrainingWarning;
}

/** A handler of one event; it may return a promise, which the step awaits. */
export type TrainerEventHandler<E extends keyof TrainerEvents> = (
  payload: TrainerEvents[E],
) => void | Promise<void>;

/** A tiny typed callback registry. */
export class EventRegistry {
  private readonly handlers: { [E in keyof TrainerEvents]: TrainerEventHandler<E>[] } = {
    update: [],
    stepEnd: [],
    warning: [],
  };

  on<E extends keyof TrainerEvents>(event: E, handler: TrainerEventHandler<E>): () => void {
    const list = this.handlers[event] as TrainerEventHandler<E>[];
    list.push(handler);
    return () => {
      const at = list.indexOf(handler);
      if (at >= 0) list.splice(at, 1);
    };
  }

  async emit<E extends keyof TrainerEvents>(event: E, payload: TrainerEvents[E]): Promise<void> {
    for (const handler of [...(this.handlers[event] as TrainerEventHandler<E>[])]) {
      await handler(payload);
    }
  }
}
