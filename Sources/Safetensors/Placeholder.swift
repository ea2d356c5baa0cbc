// Safetensors
