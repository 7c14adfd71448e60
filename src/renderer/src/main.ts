import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { connectBackend } from './api/client'
import './styles/tokens.css'
import './styles/app.css'

connectBackend()
createApp(App).use(createPinia()).mount('#app')
