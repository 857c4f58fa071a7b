import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { ConfigProblem } from './config-patch';

/** Why a structured config edit was refused: the relay's message and each problem at its key path. */
@Component({
  selector: 'mr-config-problems',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="error-box" role="alert">
      {{ message() }}
      @if (problems().length > 0) {
        <ul>
          @for (p of problems(); track $index) {
            <li>
              @if (p.path) {
                <code>{{ p.path }}</code>:
              }
              {{ p.message }}
            </li>
          }
        </ul>
      }
    </div>
  `,
})
export class ConfigProblemsComponent {
  readonly message = input.required<string>();
  readonly problems = input<readonly ConfigProblem[]>([]);
}
