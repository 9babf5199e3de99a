// A process that saves and autosaves a large project in a loop, saying on stdout when each write begins and ends, until it is killed.
// Run: node --import tsx tests/integration/kit/saveChild.ts <userData folder> <first version>
import { ProjectStore } from '../../../src/main/studio/projects';
import { largeProject } from './projects';

const [userData, first] = process.argv.slice(2);
if (!userData || first === undefined) {
  console.error('usage: saveChild.ts <userData folder> <first version>');
  process.exit(2);
}
const store = new ProjectStore(userData);
// Stdout to a pipe is synchronous on Linux and macOS: a line written before the kill is never lost.
const say = (line: string) => process.stdout.write(`${line}\n`);
for (let v = Number(first); ; v++) {
  const p = largeProject(v);
  say(`begin save ${v}`);
  await store.save('Big', p);
  say(`saved ${v}`);
  say(`begin autosave ${v}`);
  await store.autosave(p);
  say(`autosaved ${v}`);
}
