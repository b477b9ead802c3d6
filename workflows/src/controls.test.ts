import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controlRefusal, noControls } from './controls';

test('pause, then resume, apply once each', () => {
  const controls = noControls();
  assert.equal(controlRefusal('pause', controls, 'Running'), undefined);
  controls.paused = true;
  assert.match(
    controlRefusal('pause', controls, 'Paused') ?? '',
    /already paused/,
  );
  assert.equal(controlRefusal('resume', controls, 'Paused'), undefined);
  assert.equal(
    controlRefusal('resume', controls, 'Running'),
    undefined,
    'a paused campaign finishing its batch reports Running',
  );
  assert.match(
    controlRefusal('resume', noControls(), 'Running') ?? '',
    /not paused/,
  );
});

test('the first of abort and rollback wins; later ones are refused', () => {
  const aborting = { ...noControls(), abort: { by: 'user:default/pat' } };
  assert.match(
    controlRefusal('rollback', aborting, 'Running') ?? '',
    /already being aborted/,
  );
  assert.match(
    controlRefusal('pause', aborting, 'Running') ?? '',
    /already being aborted/,
  );
  const rollingBack = { ...noControls(), rollback: {} };
  assert.match(
    controlRefusal('abort', rollingBack, 'Running') ?? '',
    /already rolling back/,
  );
});

test('controls follow the phases they apply in', () => {
  assert.equal(
    controlRefusal('rollback', noControls(), 'Completed'),
    undefined,
    'rollback during the rollback window',
  );
  assert.match(
    controlRefusal('abort', noControls(), 'Completed') ?? '',
    /is Completed/,
  );
  assert.match(
    controlRefusal('pause', noControls(), 'RollingBack') ?? '',
    /is RollingBack/,
  );
  assert.equal(controlRefusal('abort', noControls(), 'Scheduled'), undefined);
});
