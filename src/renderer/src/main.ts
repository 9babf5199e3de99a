// Renderer entry: mounts the studio shell.
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { projectStore } from './lib/project.svelte';
import { studio } from './lib/studio.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');
// Handles for the devtools console and the end-to-end tests; they hold nothing the page could not reach anyway.
Object.defineProperty(window, '__studio', { value: studio });
Object.defineProperty(window, '__project', { value: projectStore });

export default mount(App, { target });
