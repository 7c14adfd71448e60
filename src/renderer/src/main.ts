import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { connectBackend } from './api/client'
import './styles.css'

connectBackend()
createApp(App).use(createPinia()).mount('#app')
