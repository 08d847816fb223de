import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureNames } from '../trace/_fixtures.js';
import { replayFixture } from './_replay-fixture.js';

test('every captured IPv4 notification of every fixture is paired with a prediction or is a cause', () => {
  for (const name of fixtureNames()) {
    const fr = replayFixture(name, 'rtmon');
    const roles = new Map<string, number>();
    for (const s of fr.result.steps) roles.set(s.role, (roles.get(s.role) ?? 0) + 1);
    assert.equal(roles.get('ignored') ?? 0, 0, `${name}: ${JSON.stringify([...roles])}`);
  }
});
