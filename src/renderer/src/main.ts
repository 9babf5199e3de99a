// Renderer entry: mounts the studio shell.
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { studio } from './lib/studio.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');
// A handle for the devtools console and the end-to-end tests; it holds nothing the page could not reach anyway.
Object.defineProperty(window, '__studio', { value: studio });

export default mount(App, { target });
